"""The operations staff and the kiosk ask for: each calls the domain and writes records; nothing here commits."""
