"""`./kata`: the learner's companion command (standard library only).

    ./kata status          where you stand in every topic
    ./kata watch 11        re-run topic 11's specs on every save
    ./kata hint 11         the next hint tier for topic 11 (--all for every tier)
    ./kata reset 11        restore topic 11's blank kata (your version is kept as a backup)
    ./kata check           run every topic and print the summary

State (hints seen, last results, backups) lives in `.kata/` at the repository root (gitignored).
"""
