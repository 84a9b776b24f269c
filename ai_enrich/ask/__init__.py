"""`ask`: route a question to text-to-SQL or to retrieval, and answer with citations."""
