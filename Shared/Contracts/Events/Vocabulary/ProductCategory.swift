/// The certification classes of green building materials (绿色建材产品分类).
public enum ProductCategory: String, Sendable, Hashable, CaseIterable, Codable {
    /// Enclosure structures and concrete (围护结构及混凝土类).
    case enclosureStructuresAndConcrete = "enclosure-structures-and-concrete"
    /// Windows, curtain walls and decoration (门窗幕墙及装饰装修类).
    case windowsCurtainWallsAndDecoration = "windows-curtain-walls-and-decoration"
    /// Waterproofing, sealing and coatings (防水密封及建筑涂料类).
    case waterproofingSealingAndCoatings = "waterproofing-sealing-and-coatings"
    /// Water supply, drainage and water treatment (给排水及水处理设备类).
    case waterSupplyDrainageAndTreatment = "water-supply-drainage-and-treatment"
    /// HVAC, solar energy and lighting (暖通空调及太阳能利用与照明类).
    case hvacSolarAndLighting = "hvac-solar-and-lighting"
    /// Other equipment (其他设备类).
    case otherEquipment = "other-equipment"
}
