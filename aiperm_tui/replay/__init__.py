"""Replaying recorded sessions, without Textual: the playback clock (`playback`), the
picture at any event (`scene`, `recording`) and the plain-text form (`text`). The
Replay screen in `aiperm_tui.tui.replay` draws what these compute."""
