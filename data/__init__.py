"""CIFAR-10 fetching, validation and caching (see data/cifar10.py). Downloaded files live here."""
