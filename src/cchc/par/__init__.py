"""PAR INDEX: frameworks of criteria (`framework`) and the scores units achieve on them."""
