"""Graph stores: the protocol and its backends."""
