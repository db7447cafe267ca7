"""Pytest plugin: a real OpenSSH sshd on 127.0.0.1 (being built; see the SSH issue)."""
