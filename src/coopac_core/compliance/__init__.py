"""What the UIF asks of a cooperative beside the large-cash register: confidential reports of
unusual operations, read and decided by the compliance officer alone; and the screening of
members and cash operations against the PEP and sanctions lists the cooperative is given, a
hit holding them for the compliance officer's decision."""
