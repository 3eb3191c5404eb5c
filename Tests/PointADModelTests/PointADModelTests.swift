import Testing

// Tests of the PointADModel module live in this folder, one file per concept.
