from careleaf.cli import main

raise SystemExit(main())
