"""What tests share: the test database, a world of two cooperatives, a bank in one of them."""
