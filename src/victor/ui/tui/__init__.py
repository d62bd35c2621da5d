"""The Textual front end of `victor chat`: an app, its screens, widgets and dialogs.

Importing this package imports nothing heavy; `victor.ui.tui.app` pulls in Textual."""
