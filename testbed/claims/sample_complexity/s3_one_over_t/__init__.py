"""S3. The 1/t learning rate is exponential in the horizon."""
