"""Who is calling: API keys, their tenants and roles."""
