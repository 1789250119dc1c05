"""The CIFAR-10 milestone (`python -m milestone`): see milestone/__main__.py."""
