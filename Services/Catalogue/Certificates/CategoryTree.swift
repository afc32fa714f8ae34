import Contracts

/// The green building material certification classes (绿色建材产品分类) and their sub-categories.
///
/// A certificate names a class (`ProductCategory`) and one of that class's sub-categories; anything else is an
/// unknown category. The tree is reference data, written into the schema by migration 101.
public enum CategoryTree {
    /// One node: a class (no parent) or a sub-category.
    public struct Node: Sendable, Hashable, Codable {
        public var code: String
        public var parentCode: String?
        public var productCategory: ProductCategory
        public var nameZh: String
        public var nameEn: String
    }

    /// Sub-categories per class: (code suffix, Chinese name, English name).
    static let subCategories: [(ProductCategory, String, [(String, String, String)])] = [
        (.enclosureStructuresAndConcrete, "围护结构及混凝土类", [
            ("thermal-insulation", "保温系统材料", "Thermal insulation materials"),
            ("wall-materials", "墙体材料", "Wall materials"),
            ("ready-mixed-concrete", "预拌混凝土", "Ready-mixed concrete"),
            ("ready-mixed-mortar", "预拌砂浆", "Ready-mixed mortar"),
            ("precast-components", "预制构件", "Precast components"),
            ("roofing", "屋面材料", "Roofing materials"),
        ]),
        (.windowsCurtainWallsAndDecoration, "门窗幕墙及装饰装修类", [
            ("energy-saving-windows", "节能门窗", "Energy-saving doors and windows"),
            ("curtain-walls", "建筑幕墙", "Curtain walls"),
            ("glass", "建筑节能玻璃", "Energy-saving glass"),
            ("ceramic-tiles", "建筑陶瓷", "Ceramic tiles"),
            ("wood-flooring", "木地板及人造板", "Wood flooring and panels"),
            ("gypsum-board", "石膏装饰材料", "Gypsum decoration materials"),
        ]),
        (.waterproofingSealingAndCoatings, "防水密封及建筑涂料类", [
            ("waterproof-membranes", "防水卷材", "Waterproof membranes"),
            ("waterproof-coatings", "防水涂料", "Waterproof coatings"),
            ("sealants", "密封胶", "Sealants"),
            ("architectural-coatings", "建筑涂料", "Architectural coatings"),
        ]),
        (.waterSupplyDrainageAndTreatment, "给排水及水处理设备类", [
            ("plastic-pipes", "塑料管材管件", "Plastic pipes and fittings"),
            ("sanitary-ware", "卫生洁具", "Sanitary ware"),
            ("water-treatment", "水处理设备", "Water treatment equipment"),
            ("rainwater-harvesting", "雨水收集设备", "Rainwater harvesting equipment"),
        ]),
        (.hvacSolarAndLighting, "暖通空调及太阳能利用与照明类", [
            ("heat-pumps", "空气源热泵", "Air-source heat pumps"),
            ("solar-water-heaters", "太阳能热水系统", "Solar water heating systems"),
            ("photovoltaic", "光伏组件", "Photovoltaic modules"),
            ("led-lighting", "LED照明产品", "LED lighting"),
            ("fresh-air-systems", "新风净化系统", "Fresh-air purification systems"),
        ]),
        (.otherEquipment, "其他设备类", [
            ("steel-structures", "钢结构房屋用钢构件", "Steel structure components"),
            ("light-steel-keels", "轻钢龙骨", "Light steel keels"),
            ("elevators", "电梯", "Elevators"),
        ]),
    ]

    /// Every node, classes first, then their sub-categories (`<class>/<sub-category>`).
    public static let nodes: [Node] = {
        var nodes: [Node] = []
        for (category, nameZh, subs) in subCategories {
            nodes.append(Node(code: category.rawValue, parentCode: nil, productCategory: category, nameZh: nameZh,
                              nameEn: category.rawValue))
        }
        for (category, _, subs) in subCategories {
            for (suffix, zh, en) in subs {
                nodes.append(Node(code: "\(category.rawValue)/\(suffix)", parentCode: category.rawValue,
                                  productCategory: category, nameZh: zh, nameEn: en))
            }
        }
        return nodes
    }()

    /// Whether `subCategory` is a sub-category of `category`.
    public static func contains(subCategory: String, in category: ProductCategory) -> Bool {
        nodes.contains { $0.code == subCategory && $0.productCategory == category && $0.parentCode != nil }
    }

    /// The sub-category codes of one class.
    public static func subCategoryCodes(of category: ProductCategory) -> [String] {
        nodes.filter { $0.productCategory == category && $0.parentCode != nil }.map(\.code)
    }

    /// The tree as the migration's INSERT statement (the program's own constants, quoted as SQL literals).
    static var insertSQL: String {
        func literal(_ text: String?) -> String {
            guard let text else { return "NULL" }
            return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        }
        let rows = nodes.map { node in
            "(\(literal(node.code)), \(literal(node.parentCode)), \(literal(node.productCategory.rawValue)), "
                + "\(literal(node.nameZh)), \(literal(node.nameEn)))"
        }
        return "INSERT INTO categories (code, parent_code, product_category, name_zh, name_en) VALUES\n"
            + rows.joined(separator: ",\n") + ";\n"
    }
}
