"""Model providers behind two small interfaces: embedding and chat."""
