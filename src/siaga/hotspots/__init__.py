"""Crime hot-spot forecasting: weekly cell rankings and their prospective evaluation."""
