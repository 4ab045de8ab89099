"""The national health-workforce basic information table (卫生人力基本信息调查表): its columns
and codes (`table`), the people on file on a day as its rows and the check of what they lack
(`queries`), the page (`views`) and the API (`api`). docs/national-table.md says where each
column comes from."""
