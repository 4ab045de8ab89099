"""Benchmarks (not part of the test suite).

    python -m bench [exchange] [options]   # import and export: Yicai against django-import-export
    python -m bench seed [options]         # `yicai seed`: bulk generated people
    python -m bench scale [options]        # search and lists at 1,000,000 people
    python -m bench forms [options]        # form pages and the person picker at 100,000 people
    python -m bench remind [options]       # `yicai remind` over 100,000 served talents
    python -m bench dashboard [options]    # dashboards at 1,000,000 people, 5,000,000 activities

`python -m bench SUBCOMMAND --help` lists each one's options.
"""

import sys

COMMANDS = ("exchange", "seed", "scale", "forms", "remind", "dashboard")


def main() -> None:
    argv = sys.argv[1:]
    command = argv.pop(0) if argv and argv[0] in COMMANDS else "exchange"
    if sys.argv[1:2] in (["-h"], ["--help"]):
        print(__doc__)
    if command == "seed":
        from bench import seed

        seed.main(argv)
    elif command == "scale":
        from bench import scale

        scale.main(argv)
    elif command == "remind":
        from bench import remind

        remind.main(argv)
    elif command == "dashboard":
        from bench import dashboard

        dashboard.main(argv)
    elif command == "forms":
        from bench import forms

        forms.main(argv)
    else:
        from bench import exchange

        exchange.main(argv)


if __name__ == "__main__":
    main()
