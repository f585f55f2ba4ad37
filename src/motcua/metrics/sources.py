"""The registry of fact sources: where the data behind each indicator comes from.

An indicator whose formula needs a source that is not registered is shown as "no data" and
left out of the maximum, never given made-up points. motcua's own dossiers are registered
here. When an app that feeds the index is installed, it registers its source in its
AppConfig.ready() and writes its facts with `motcua.metrics.facts.facts_add`. Ratings and
feedback are registered by metrics' own AppConfig when those apps are installed, and their facts
written by metrics' receivers on their rows (motcua.metrics.satisfaction).

The catalogue's online-service level ("catalog_online") and online payment
("catalog_payment", with the payments app) are registered by metrics' own AppConfig and
counted from the catalogue by motcua.metrics.catalog_facts.

Sources that motcua does not hold yet: synchronisation to the national portal
("national_portal"), the national procedure database ("national_database"), catalogue
publication dates ("catalog_publication"), the citizen's document store ("document_store"),
the population database ("population_db") and certified e-copies ("e_copies").
"""

AVAILABLE: set[str] = {"dossiers"}

# Vietnamese names, for the "no data" note on pages and exports.
NAMES = {
    "dossiers": "Hồ sơ thủ tục hành chính",
    "ratings": "Đánh giá của người dân",
    "feedback": "Phản ánh, kiến nghị",
    "national_portal": "Đồng bộ Cổng Dịch vụ công quốc gia",
    "national_database": "Cơ sở dữ liệu quốc gia về thủ tục hành chính",
    "catalog_publication": "Ngày công bố, công khai thủ tục",
    "catalog_online": "Mức độ cung cấp dịch vụ công trực tuyến của thủ tục",
    "catalog_payment": "Thanh toán trực tuyến theo thủ tục",
    "document_store": "Kho quản lý dữ liệu điện tử của công dân",
    "population_db": "Cơ sở dữ liệu quốc gia về dân cư",
    "e_copies": "Chứng thực bản sao điện tử",
}


def register(name: str) -> None:
    AVAILABLE.add(name)


def unregister(name: str) -> None:
    AVAILABLE.discard(name)


def available(name: str) -> bool:
    return name in AVAILABLE
