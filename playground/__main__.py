import sys

from playground import main

sys.exit(main())
