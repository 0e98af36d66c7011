"""Partner file formats: detection from content and one parser per format."""
