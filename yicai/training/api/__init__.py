"""REST API for the cultivation records (育), one module per domain as in the other layers:
mentoring (mentorships, techniques, case logs), studios, activity (visits, consultations),
secondments, overview, education, programmes and careers (/api/v1/training/...).

As on the pages: reading needs training.view; each write the permission its page asks for.
Rows come from the scoped queries of `training.queries`, writes go through
`training.services`; a row outside the user's scope is a 404, a foreign key outside it a 400
naming the field. `yicai.training.api_urls` routes the view sets.
"""
