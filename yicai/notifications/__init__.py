"""The notification centre: what falls due for a user (a tranche to pay, a licence about to
expire, a report not in), shown under the bell in the page header and, where the site says so,
sent by e-mail. Other apps create notifications through `services.notify`."""
