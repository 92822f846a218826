"""Location layers (air bases, roads, cities, regions) as EPSG:4326 GeoDataFrames with their source."""
