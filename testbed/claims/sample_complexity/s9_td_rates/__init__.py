"""S9. TD(0) finite-time rates."""
