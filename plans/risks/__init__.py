"""A plan's risk register: writes (services), the board's reading, the heat map, and the risk import."""
