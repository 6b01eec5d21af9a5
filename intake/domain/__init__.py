"""The dialogue engine and the plan: pure Python, no Flask, no Flask-Babel, no database.

Everything here works on plain data (dialogue files, answers keyed by step id, dates passed in),
so it can be tested without an app and reused by any entry point. See README.md.
"""
