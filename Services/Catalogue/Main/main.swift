import Catalogue
import ServiceHost

await ServiceHost.main(CatalogueService.definition)
