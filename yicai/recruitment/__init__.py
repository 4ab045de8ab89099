"""引 Attract: bringing people and partners in. So far one record kind, the partner agreement
(合作协议); recruitment plans, introductions and directed students come with issue 13."""
