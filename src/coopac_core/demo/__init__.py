"""The demo federation: three cooperatives with their branches and staff, members with
share capital, savings and loans (some paid on time, some late), and three months of
history closed by close of business and by the accountant, so that
the federation's indicators and every report show real numbers from the start.

Loaded by ``coopac demo`` and ``coopac serve --demo``; running it again changes nothing.
"""

from __future__ import annotations

from coopac_core.demo.data import DEMO_PASSWORD, DemoLogin
from coopac_core.demo.history import catch_up
from coopac_core.demo.load import demo_logins, load_demo

__all__ = ["DEMO_PASSWORD", "DemoLogin", "catch_up", "demo_logins", "load_demo"]
