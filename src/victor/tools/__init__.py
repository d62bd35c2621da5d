"""The agent's tools: typed functions whose JSON schema is derived from signature and docstring.

`registry.all_tools()` lists them; `workspace.Workspace` confines every path they touch.
"""
