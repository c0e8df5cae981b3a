from sitbreak.cli import main

raise SystemExit(main())
