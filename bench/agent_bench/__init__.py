"""Helpers of bench/agent_tasks.py: task folders and grading (tasks), the agents under test
(agents), the shared llama.cpp server (server) and the result table (report)."""
