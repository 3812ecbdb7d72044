"""Foreign exchange at the counter: the cooperative's daily rate board (buy and sell,
USD/PEN) and the operations it prices, balanced per currency through a position account."""
