"""Demo data: a fictional county, city or province (`manage.py demo`) and its demo logins."""
