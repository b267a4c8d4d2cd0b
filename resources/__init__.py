"""Package data: icons, the sample project's source, edition stylesheets and fonts."""
