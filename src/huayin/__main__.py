"""``python -m huayin`` is the ``huayin`` command."""

import sys

from huayin.cli import main

sys.exit(main())
