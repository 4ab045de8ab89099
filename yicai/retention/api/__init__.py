"""REST API of 留's money (/api/v1/retention/...), one module per domain as in the other
layers: funds and their ledger (`funds`), incentive policies with their rules and dated
amounts (`policies`), award runs, their lines and clawbacks (`awards`).

Declared on the shared record viewset (`yicai.api.records`): the lists read the pages' filter
forms, writes go through `retention.services` (the same refusals in the same words, a 400 by
field), rows come from `retention.queries`' `*_for(user, permission)`: a row outside the
user's scope is a 404, a role without the permission gets 403 (a department head sees no
money). Amounts are strings with two decimals ("200000.00"), taken in as strings (or numbers)
and read to the fen by the services. `yicai.retention.api_urls` routes the view sets.
"""
