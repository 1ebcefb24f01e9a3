"""Reference server of the membership lifecycle contract: a Connexion app built from openapi/v2.yaml."""
