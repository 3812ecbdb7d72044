"""What a cooperative files and the federation reads: month-end snapshots (periods) and the
reports built from them."""
