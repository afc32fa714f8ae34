import Catalogue
import ServiceHost

await ServiceHost.main("catalogue", definition: CatalogueService.makeDefinition(environment:))
