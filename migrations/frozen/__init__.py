"""Helpers the migrations call, frozen: a migration must produce the same schema forever,
so nothing here is ever changed. A new need is a new function (or module); the service's
own code is never imported by a migration."""
