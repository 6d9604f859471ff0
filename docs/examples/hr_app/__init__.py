"""An example HR application built on musforms: FastAPI, SQLAlchemy 2 and SQLite.

It keeps a company's MUS template in the database (every version of it, with its logo), issues signed forms
to employees and managers, reads the completed forms that come back, stores their answers, compares an
employee's preparation with the manager's, and prefills next year's form with this year's agreements.
``docs/examples/hr-app.md`` explains it; ``tests/test_example_hr_app.py`` runs it.
"""
