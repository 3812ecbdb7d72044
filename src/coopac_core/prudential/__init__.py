"""The supervisor's prudential limits: effective equity, risk-weighted assets and the capital
ratio, single-borrower and related-party concentration, fixed assets, and liquidity in soles
and in dollars. The figures come from a month's snapshot (``reports.figures``, proved by
``coopac verify-ledger``); the weights, minimums and limits are the federation's settings."""
