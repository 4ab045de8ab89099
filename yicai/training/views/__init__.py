"""Cultivation pages, one module per domain."""

from yicai.web.listing import ListPermissions

# What every cultivation list asks of its user.
TRAINING = ListPermissions(view="training.view", export="training.export", edit="training.edit")
