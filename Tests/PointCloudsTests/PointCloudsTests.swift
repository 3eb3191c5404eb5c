import Testing

// Tests of the PointClouds module live in this folder, one file per concept.
