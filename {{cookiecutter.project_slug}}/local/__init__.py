"""Developer tooling to run the function on this machine; not deployed."""
