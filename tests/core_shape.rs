//! The shape table the package's host side reads pages with (`model::shape`) must name
//! exactly the fields of the serde types, in their order, or the two readings of a page
//! would differ. serde's derive passes each struct's field names (aliases included) to
//! `deserialize_struct`; a deserializer that records them and stops is enough to read
//! them. What each field's value becomes is compared in `tests/js/answer.test.mjs`.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::panic)]

use qualys_cs::model::shape::{Field, Shape, REGISTRY_SCHEDULE, REGISTRY_SCHEDULE_PAGE};
use qualys_cs::model::{AdditionalFilters, Page, RegistrySchedule, RepoTag, ScheduleFilter};
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A deserializer that records the field names of the struct asked for, then fails.
struct FieldNames<'a>(&'a mut Vec<&'static str>);

impl<'de> Deserializer<'de> for FieldNames<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.extend_from_slice(fields);
        Err(de::Error::custom("recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map enum
        identifier ignored_any
    }
}

/// The field names serde's derive gives `T`, aliases included.
fn serde_fields<T: for<'de> Deserialize<'de>>() -> Vec<&'static str> {
    let mut names = Vec::new();
    assert!(T::deserialize(FieldNames(&mut names)).is_err());
    names
}

/// The fields of an object shape.
fn object_fields(shape: &Shape) -> &'static [Field] {
    match shape {
        Shape::Object { fields, .. } => fields,
        other => panic!("not an object shape: {other:?}"),
    }
}

/// The names an object shape reads, each followed by its aliases, as serde lists them.
fn shape_names(shape: &Shape) -> Vec<&'static str> {
    let mut names = Vec::new();
    for field in object_fields(shape) {
        names.push(field.name);
        names.extend_from_slice(field.aliases);
    }
    names
}

fn field_shape(shape: &Shape, name: &str) -> Shape {
    object_fields(shape)
        .iter()
        .find(|field| field.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
        .shape
}

fn item_of(shape: Shape) -> Shape {
    match shape {
        Shape::List { item } | Shape::Page { item } => *item,
        other => panic!("not a list: {other:?}"),
    }
}

#[test]
fn the_schedule_shape_names_every_field_of_the_serde_type_in_order() {
    let names = serde_fields::<RegistrySchedule>();
    assert_eq!(shape_names(&REGISTRY_SCHEDULE), names);
    assert_eq!(names.first(), Some(&"scheduleUuid"));
    assert!(names.contains(&"scheduleScanIntervalInDays"));
    assert_eq!(names.last(), Some(&"weekDay"));
}

#[test]
fn the_nested_shapes_name_the_fields_of_their_serde_types() {
    let filter = item_of(field_shape(&REGISTRY_SCHEDULE, "filters"));
    assert_eq!(shape_names(&filter), serde_fields::<ScheduleFilter>());
    let repo_tag = item_of(field_shape(&filter, "repoTags"));
    assert_eq!(shape_names(&repo_tag), serde_fields::<RepoTag>());
    let additional = field_shape(&REGISTRY_SCHEDULE, "additionalFilters");
    assert_eq!(
        shape_names(&additional),
        serde_fields::<AdditionalFilters>()
    );
    assert_eq!(item_of(REGISTRY_SCHEDULE_PAGE), REGISTRY_SCHEDULE);
}

#[test]
fn the_page_shape_reads_the_fields_the_page_type_reads() {
    // `Page` decodes through its wire struct, whose fields serde lists.
    assert_eq!(
        serde_fields::<Page<RegistrySchedule>>(),
        vec!["data", "count"]
    );
}

#[test]
fn the_shape_is_written_as_the_json_the_host_side_reads() {
    let json = serde_json::to_value(REGISTRY_SCHEDULE_PAGE).unwrap();
    assert_eq!(json["kind"], "page");
    let fields = json["item"]["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 19);
    assert_eq!(
        fields[0],
        serde_json::json!({ "name": "scheduleUuid", "shape": { "kind": "string" } })
    );
    assert_eq!(
        fields[17],
        serde_json::json!({
            "name": "scheduleIntervalInDays",
            "shape": { "kind": "optionalU32" },
            "aliases": ["scheduleScanIntervalInDays"],
        })
    );
    assert_eq!(
        fields[18]["shape"]["values"],
        serde_json::json!([
            "MONDAY",
            "TUESDAY",
            "WEDNESDAY",
            "THURSDAY",
            "FRIDAY",
            "SATURDAY",
            "SUNDAY"
        ])
    );
    let additional = &fields[10]["shape"];
    assert_eq!(additional["nullable"], true);
    assert_eq!(additional["fields"][0]["omitNull"], true);
}
