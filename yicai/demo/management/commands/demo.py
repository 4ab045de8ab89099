"""`yicai demo`: load the demo district (once) and (re)set the demo accounts."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from yicai.demo import (
    care,
    district,
    education,
    evaluation,
    programmes,
    recruitment,
    retention,
    secondments,
    training,
    users,
)

URL = "http://127.0.0.1:8000"
# The command as it runs from the repository's root, where `make setup` put it.
YICAI = ".venv/bin/yicai"


def unapplied_migrations() -> int:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


class Command(BaseCommand):
    help = "Load the demo district (宝山区, about 3,000 people) and set up the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--people",
            type=int,
            default=district.DEMO_PEOPLE,
            help="people to generate on the first run (default 3000)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=district.DEMO_SEED,
            help="random seed; the same seed gives the same district",
        )

    def handle(self, *args, people, seed, **options):
        if people < 50:
            raise CommandError("--people must be at least 50")
        # A new (or older) database is brought up to date first: the demo needs every table.
        if pending := unapplied_migrations():
            self.stdout.write(
                f"数据库尚未迁移，先执行 {pending} 项迁移 / "
                f"migrating the database first ({pending} migrations)"
            )
            call_command("migrate", interactive=False, verbosity=0)
        password, chosen = users.demo_password()
        problems = users.password_problems(password)
        if problems:
            raise CommandError(
                f"{users.PASSWORD_ENV} 不符合密码策略 / does not meet the password policy:\n  "
                + "\n  ".join(problems)
            )
        result = district.load_district(people=people, seed=seed)
        if result.created:
            self.stdout.write(
                f"已生成演示数据 / demo data loaded: {result.institutions} 家机构 institutions, "
                f"{result.departments} 个科室 departments, {result.people} 人 people, "
                f"{result.rows} 行 rows, {result.seconds:.1f} s"
            )
        else:
            self.stdout.write(
                "演示数据已存在，只更新演示账号 / demo data already loaded; "
                "refreshing the demo accounts only"
            )
        accounts = users.ensure_accounts(password)
        # Each cultivation loader says how many it made, none when its data was there already.
        for load, made in (
            (
                training.load_training,
                "已生成培养演示数据 / cultivation demo data: 师带徒、名医工作室、专家活动、"
                "{} 条病例记录 case logs",
            ),
            (
                secondments.load_secondments,
                "已生成进修演示数据 / secondment demo data: {} 人按进修医院分批 "
                "people in batches by host, 月报与挂钩领导批注 monthly reports with comments",
            ),
            (
                education.load_education,
                "已生成继续教育演示数据 / continuing education demo data: {} 场活动 events, "
                "培训指标与学历教育 quotas and enrolments",
            ),
            (
                recruitment.load_recruitment,
                "已生成引才演示数据 / recruitment demo data: {} 条招聘计划、报名、人才引进及待遇、"
                "合作协议、定向培养协议与专家网络记录 plans, applications, introductions and "
                "entitlements, partner agreements, directed students' contracts and the expert "
                "network",
            ),
            (
                retention.load_retention,
                "已生成激励保障演示数据 / retention demo data: 人才专项资金与公益基金, 激励办法, "
                "历年奖励核发 award runs, {} 条收支记录 ledger entries",
            ),
            (
                care.load_care,
                "已生成“八个一”服务演示数据 / 八个一 service demo data: {} 名科创人才 served "
                "talents with a year of service tasks (some overdue) and green-channel requests",
            ),
            (
                evaluation.load_evaluation,
                "已生成考核演示数据 / assessment demo data: 名医专家与徒弟年度考核（已发布，"
                "含一件待处理申诉）和下一年度草稿, {} 个考核对象 subjects assessed",
            ),
            (
                programmes.load_programmes,
                "已生成培养计划演示数据 / programme demo data: 头雁、英才、育才计划, "
                "{} 名培养对象 cohort members, 柔性引进团队 flexible teams",
            ),
        ):
            count = load(today=timezone.localdate())
            if count:
                self.stdout.write(made.format(count))
        self.stdout.write(self._summary(accounts, password, chosen))

    def _summary(self, accounts, password, chosen) -> str:
        source = (
            f"来自 / from {users.PASSWORD_ENV}"
            if chosen
            else f"随机生成 / generated; set {users.PASSWORD_ENV} to choose one"
        )
        lines = [
            "=" * 78,
            "医才演示环境 / Yicai demo",
            f"地址 URL: {URL}   ({YICAI} runserver 127.0.0.1:8000)",
            f"所有演示账号的密码 / password of every demo account: {password}",
            f"  ({source})",
            "",
            f"{'用户 user':<13}{'二次验证 TOTP secret':<36}说明 role",
        ]
        for account in accounts:
            secret = account.totp_secret or "-"
            lines.append(f"{account.persona.username:<13}{secret:<36}{account.persona.description}")
        if any(account.totp_secret for account in accounts):
            lines += [
                "",
                "有 TOTP 密钥的账号登录时须输入动态验证码：把密钥加入验证器 App，或在项目目录",
                f"运行 `{YICAI} totp 用户名` 获取当前验证码（例如 {YICAI} totp security）。",
                "Accounts with a TOTP secret need a one-time code at login: add the secret",
                f"to an authenticator app, or run `{YICAI} totp USER` in the repository for a",
                f"current code (e.g. {YICAI} totp security).",
            ]
        lines.append("=" * 78)
        return "\n".join(lines)
