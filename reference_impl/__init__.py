"""Reference server of the event invitations contract: a Connexion app built from openapi/v2.yaml."""
