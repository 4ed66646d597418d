"""Documents that arrive by e-mail: IMAP accounts, the rules that read them, and a record of
every mail taken (so none is taken twice), like Paperless-ngx's mail rules."""
