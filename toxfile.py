"""tox's inline plugin (tox loads toxfile.py by itself): spec environments share one virtualenv.

tox 4 records an environment's name inside its folder and rebuilds the folder when another
environment uses it, so `env_dir` alone cannot share a virtualenv. The `shared-virtualenv` runner
records the folder's name instead: every environment with the same deps and the same `env_dir`
reuses it, and a learner's `tox -e topic12` after `tox -e topic11` starts pytest at once.
"""

import signal

from tox.plugin import impl
from tox.tox_env.info import Info
from tox.tox_env.python.virtual_env.runner import VirtualEnvRunner


class _FolderNamedInfo(Info):
    """tox's setup record, with the folder's name where the environment's name would be."""

    def compare(self, value, section, sub_section=None):
        if section == "ToxEnv" and isinstance(value, dict):
            value = {**value, "name": self._path.parent.name}
        return super().compare(value, section, sub_section)


class SharedVirtualEnvRunner(VirtualEnvRunner):
    @staticmethod
    def id() -> str:
        return "shared-virtualenv"

    @property
    def cache(self) -> Info:
        return _FolderNamedInfo(self.env_dir)


@impl
def tox_register_tox_env(register) -> None:
    register.add_run_env(SharedVirtualEnvRunner)


# A shell starts a background job (`tox ... &` in a script) with SIGINT ignored, and Python keeps
# an ignored SIGINT ignored: `kill -INT <tox>` then did nothing and the milestone trained on to
# the end. Listening again lets tox pass the interrupt on (its *_timeout settings say how).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
